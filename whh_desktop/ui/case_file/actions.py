"""What the case file's bottom row does to the whole case: data protection (Art. 15, 17, 18 DSGVO), the handover
to another site, closing and reopening. Every write is an operation; the case file re-reads on its broadcast."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QMenu, QPushButton

from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import cases, rights, sync
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.data_report import data_report_pdf
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal, printing
from whh_desktop.ui.dialogs.case_forms import CloseDialog, HandoverDialog
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import Op


class CaseActions:
    """Mixed into the case file dialog: the »Datenschutz« menu and »Fall abschließen« / »Wieder öffnen«."""

    store: Store
    user: CurrentUser
    case_id: uuid.UUID
    data: CaseFile
    erased: bool

    def build_actions(self) -> None:
        self.privacy_button = QPushButton("Datens&chutz")  # Alt+D is the tab »Dokumente«
        menu = QMenu(self.privacy_button)
        self.report_print_action = menu.addAction("Auskunft nach Art. 15 &drucken…", self.print_data_report)
        self.report_save_action = menu.addAction("Auskunft nach Art. 15 als &PDF speichern…", self.save_data_report)
        menu.addSeparator()
        self.restrict_action = menu.addAction("Verarbeitung &einschränken (Art. 18)", self.toggle_restricted)
        self.erase_action = menu.addAction("Auf Wunsch &löschen…", self.erase_on_request)
        menu.addSeparator()
        self.handover_action = menu.addAction("An anderen &Standort übergeben…", self.hand_over)
        self.handover_action.setVisible(self.store.info.mode == "site")
        self.privacy_button.setMenu(menu)
        self.close_button = QPushButton("Fall &abschließen…")
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button = QPushButton("Wieder &öffnen")
        self.reopen_button.clicked.connect(self.reopen)

    def enable_actions(self) -> None:
        cf = self.data
        self.close_button.setEnabled(cf.active)
        self.reopen_button.setEnabled(cf.reopenable)
        self.privacy_button.setEnabled(not cf.read_only)
        self.restrict_action.setText("Einschränkung &aufheben" if cf.case.restricted
                                     else "Verarbeitung &einschränken (Art. 18)")

    def _run(self, fn) -> bool:
        return Op(self, fn).run()

    # ---- data protection -------------------------------------------------------------------------------------
    def _data_report(self) -> bytes | None:
        try:
            return data_report_pdf(self.store, self.user, self.data.person.id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return None

    def print_data_report(self) -> None:
        if (pdf := self._data_report()) is not None:
            printing.print_pdf(self, pdf, "Auskunft nach Art. 15 DSGVO")

    def save_data_report(self) -> None:
        if (pdf := self._data_report()) is not None:
            printing.save_pdf(self, pdf, f"Auskunft-{self.data.case.case_number}.pdf")

    def toggle_restricted(self) -> None:
        restrict = not self.data.case.restricted
        text = ("Die Verarbeitung einschränken? Der Fall bleibt gespeichert, kann aber nicht mehr geändert werden, "
                "bis die Einschränkung aufgehoben wird (Art. 18 DSGVO)." if restrict
                else "Die Einschränkung aufheben? Der Fall kann danach wieder bearbeitet werden.")
        if messages.confirm(self, text, yes="Einschränken" if restrict else "Aufheben"):
            self._run(lambda: rights.set_restricted(self.store, self.user, self.case_id, restrict))

    def erase_on_request(self) -> None:
        if not messages.confirm(
                self, f"Alle personenbezogenen Daten des Falls {self.data.case.case_number} endgültig löschen "
                      "(Art. 17 DSGVO)? Es bleiben nur anonyme Angaben für die Statistik. Das kann nicht rückgängig "
                      "gemacht werden; eine Sicherung enthält die Daten bis zu ihrem Ablauf.",
                title="Endgültig löschen", yes="Endgültig löschen"):
            return
        self.erased = True  # nothing left to re-read: the file closes after the message
        if self._run(lambda: rights.erase_case(self.store, self.user, self.case_id, "request")):
            messages.inform(self, "Die personenbezogenen Daten des Falls wurden gelöscht.")
            self.accept()
        else:
            self.erased = False

    def hand_over(self) -> None:
        """The person moves: with consent, via the Kreis; this site keeps a read-only copy afterwards."""
        if accepted(HandoverDialog(lambda v: sync.handover_case(self.store, self.user, self.case_id, *v),
                                   self.store.info.site_code, self)):
            messages.inform(self, "Die Übergabe ist eingetragen. Sie geht mit dem nächsten Export an den Kreis; "
                                  "danach kann der Fall hier nur noch gelesen werden.")

    # ---- closing ---------------------------------------------------------------------------------------------
    def close_case(self) -> None:
        try:
            check = cases.closing_check(self.store, self.user, self.case_id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        modal.run_modal(CloseDialog(lambda v: cases.close_case(self.store, self.user, self.case_id, *v), self,
                                    check))

    def reopen(self) -> None:
        if messages.confirm(self, "Den abgeschlossenen Fall wieder öffnen?", yes="Wieder öffnen"):
            self._run(lambda: cases.reopen_case(self.store, self.user, self.case_id))
