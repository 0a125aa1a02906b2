"""The layers the build enforces (issue 17 point 1): the import-linter contracts written in pyproject.toml hold for
the code, and an import that points the wrong way breaks them, so `make test` catches it as `make lint` does."""

from __future__ import annotations

import copy
from pathlib import Path

import grimp
import pytest
from importlinter import Contract, ContractCheck
from importlinter.api import read_configuration  # also configures import-linter (its clock, its graph builder)
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

import whh_desktop

ROOT = Path(__file__).resolve().parents[2]
CONFIG = read_configuration(str(ROOT / "pyproject.toml"))
SESSION = CONFIG["session_options"]
CONTRACTS = {c["id"]: c for c in CONFIG["contracts_options"]}
TYPES: dict[str, type[Contract]] = {"layers": LayersContract, "forbidden": ForbiddenContract}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # the graph must be of this checkout's code, not of another installed copy
    assert Path(whh_desktop.__file__).resolve().is_relative_to(ROOT)
    external = str(SESSION.get("include_external_packages")).lower() == "true"
    return grimp.build_graph(*SESSION["root_packages"], include_external_packages=external, cache_dir=None)


def check(graph: grimp.ImportGraph, contract_id: str) -> ContractCheck:
    options = CONTRACTS[contract_id]
    contract = TYPES[options["type"]](name=options["name"], session_options=SESSION, contract_options=options)
    return contract.check(copy.deepcopy(graph), verbose=False)


def with_import(graph: grimp.ImportGraph, importer: str, imported: str) -> grimp.ImportGraph:
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    return changed


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_the_code_keeps_the_contract(graph, contract_id) -> None:
    assert check(graph, contract_id).kept, f"`lint-imports --contract {contract_id}` zeigt die falschen Importe"


@pytest.mark.parametrize(("contract_id", "importer", "imported"), [
    ("layers", "whh_desktop.core.letters.fields", "whh_desktop.core.services.letters"),
    ("layers", "whh_desktop.core.sync.importer", "whh_desktop.core.services.consent"),
    ("layers", "whh_desktop.core.reports.sachbericht", "whh_desktop.core.services.site_settings"),
    ("layers", "whh_desktop.core.sync.exporter", "whh_desktop.core.reports.stichtag"),  # siblings stay apart
    ("layers", "whh_desktop.core.store.engine", "whh_desktop.core.letters.fonts"),
    ("layers", "whh_desktop.core.services.cases", "whh_desktop.core.demo"),
    ("pure-domain", "whh_desktop.core.domain.consent", "whh_desktop.core.store.models"),
    ("pure-domain", "whh_desktop.core.domain.labels", "sqlalchemy"),
    ("core-without-qt", "whh_desktop.core.services.letters", "PySide6"),
    ("ui-through-services", "whh_desktop.ui.views.cases", "whh_desktop.core.store.models"),
    ("ui-through-services", "whh_desktop.ui.views.fristen", "sqlalchemy"),
    ("ui-only-services", "whh_desktop.ui.views.reports", "whh_desktop.core.reports.tables"),
    ("ui-only-services", "whh_desktop.ui.dialogs.letter", "whh_desktop.core.letters.templates"),
])
def test_a_wrong_arrow_breaks_the_contract(graph, contract_id, importer, imported) -> None:
    assert imported in graph.modules and importer in graph.modules
    assert not check(with_import(graph, importer, imported), contract_id).kept


def test_the_layers_are_the_ones_the_design_names() -> None:
    assert CONTRACTS["layers"]["layers"] == [
        "whh_desktop.__main__",
        "whh_desktop.ui | whh_desktop.cli",
        "whh_desktop.core.demo_housing",
        "whh_desktop.core.demo",
        "whh_desktop.core.services",
        "whh_desktop.core.reports | whh_desktop.core.sync",
        "whh_desktop.core.letters",
        "whh_desktop.core.store",
        "whh_desktop.core.domain",
        "whh_desktop.core.errors",
    ]
    assert set(CONTRACTS["ui-through-services"]["forbidden_modules"]) == {"whh_desktop.core.store", "sqlalchemy"}
    assert set(CONTRACTS["ui-only-services"]["forbidden_modules"]) == {
        "whh_desktop.core.letters", "whh_desktop.core.sync", "whh_desktop.core.reports"}
