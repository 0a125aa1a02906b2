"""Reports (issue 06): indicators of the Landesinitiative, Stichtag statistics, data quality, and the writers.

Everything here is Qt-free. Each report is a function over a read session that returns ``ReportTable`` objects
(``tables.py``); the dashboard, the Excel and CSV writers and the Sachbericht PDF all take that one shape.
Aggregation happens in SQL through SQLAlchemy (portable expressions only), never by loading all rows.
"""

from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row

__all__ = ["Column", "ColumnKind", "ReportTable", "Row"]
