"""Text written to CSV and XLSX files stays text when a spreadsheet opens them."""
from sqlalchemy import String, case, func, literal

# A cell beginning with one of these is a formula to Excel and LibreOffice: a name typed as
# =HYPERLINK(...) would run in the administrator's spreadsheet. Such text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}  # XlsxWriter: text stays text


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_STARTS else text


def spreadsheet_safe_sql(column):
    """spreadsheet_safe in SQL, for exports written by the database (a test keeps them equal)."""
    return case((func.substr(column, 1, 1).in_(FORMULA_STARTS), literal("'", String) + column), else_=column)
