"""The case file's tabs: one panel class per tab, each showing its part of the case file read model
(``core.services.case_file.CaseFile``) and running its writes as operations. ``ui.dialogs.case_file`` assembles
them and re-reads the read model once per broadcast that touches the case."""
