"""The case workspace and its parts: ``workspace.CaseWorkspace`` is one case as a page of the main window (a side
list of the parts beside a stack); one panel class per part shows its piece of the case file read model
(``core.services.case_file.CaseFile``) and runs its writes as operations. The workspace re-reads the read model
once per broadcast that touches the case (while shown, else when shown next)."""
