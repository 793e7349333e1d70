"""Price lists of the district, imported from a publisher's XLSX or CSV."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl.utils import get_column_letter

from bibliomo.accounts.models import User
from bibliomo.directory.models import District
from bibliomo.lib import tables
from bibliomo.orders.models import (
    OrderLine,
    PriceItem,
    PriceList,
    SchoolOrder,
)
from bibliomo.textbooks.models import FederalListEntry, number_key

# --- prices ------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx").upper()


def _parse_price(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
    else:
        text = tables.clean(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        text = text.removesuffix("руб.").removesuffix("р.")
        result = Decimal(text)
    if result < 0:
        raise InvalidOperation
    return result.quantize(Decimal("0.01"))


_NUMBER_HEADERS = ("порядковый номер", "номер", "№ фпу", "номер фпу", "код")
_ISBN_HEADERS = ("isbn",)
_PRICE_HEADERS = ("цена", "цена, руб.", "цена с ндс", "стоимость")


def import_price_list(
    district: District, upload: Any, title: str, user: User | None = None
) -> PriceList:
    """Read a publisher's price list (XLSX or CSV): a header row with a column of entry
    numbers or ISBNs and a price column. All or nothing: every bad row is reported with
    its row number and column, and nothing is saved."""
    rows = tables.read_rows(upload)
    if not rows:
        raise ValidationError("Файл пуст.")
    # A publisher's list often opens with its name and date above the header.
    header = tables.find_header(
        rows,
        {"isbn": _ISBN_HEADERS, "price": _PRICE_HEADERS, "number": _NUMBER_HEADERS},
        lambda found: "price" in found and ("number" in found or "isbn" in found),
    )
    if header is None:
        raise ValidationError(
            f"В первых {tables.HEADER_SEARCH_ROWS} строках не найдены заголовки столбцов. "
            "Нужны «Цена» и «Порядковый номер» или «ISBN»."
        )
    position, found = header
    names = list(rows[position][1])
    col_number, col_isbn, col_price = found.get("number"), found.get("isbn"), found["price"]
    by_key = dict(FederalListEntry.objects.values_list("key", "pk"))
    by_isbn: dict[str, int] = {}
    for pk, isbns in FederalListEntry.objects.exclude(isbn="").values_list("pk", "isbn"):
        for part in isbns.replace(";", ",").split(","):
            if _digits(part):
                by_isbn[_digits(part)] = pk

    def letter(col: int | None) -> str:
        return get_column_letter(col + 1) if col is not None else "—"

    errors: list[str] = []
    prices: dict[int, Decimal] = {}
    for row_no, cells in rows[position + 1 :]:
        cells = list(cells) + [None] * (len(names) - len(cells))
        entry_id = None
        number = tables.clean(cells[col_number]) if col_number is not None else ""
        isbn = tables.clean(cells[col_isbn]) if col_isbn is not None else ""
        if number:
            entry_id = by_key.get(number_key(number))
        if entry_id is None and isbn:
            entry_id = by_isbn.get(_digits(isbn))
        if entry_id is None:
            if number or isbn:
                what = f"номер «{number}»" if number else f"ISBN «{isbn}»"
                col = col_number if number else col_isbn
                errors.append(
                    f"Строка {row_no}, столбец {letter(col)}: {what} "
                    "не найден в федеральном перечне."
                )
            else:
                col = col_number if col_number is not None else col_isbn
                errors.append(
                    f"Строка {row_no}, столбец {letter(col)}: нет номера учебника и ISBN."
                )
            continue
        try:
            prices[entry_id] = _parse_price(cells[col_price])
        except (InvalidOperation, ValueError):
            errors.append(
                f"Строка {row_no}, столбец {letter(col_price)}: «{tables.clean(cells[col_price])}» "
                "— не цена (нужно число не меньше нуля)."
            )
    if errors:
        raise ValidationError(errors)
    if not prices:
        raise ValidationError("В файле нет ни одной цены.")
    with transaction.atomic():
        price_list = PriceList.objects.create(
            district=district,
            title=title or getattr(upload, "name", "Прайс-лист"),
            file_name=getattr(upload, "name", ""),
            imported_by=user if getattr(user, "pk", None) else None,
        )
        PriceItem.objects.bulk_create(
            PriceItem(price_list=price_list, entry_id=e, price=p) for e, p in prices.items()
        )
        # Orders still being written follow the new prices, unless a price was typed.
        editable = OrderLine.objects.filter(
            order__campaign__district=district,
            order__campaign__is_open=True,
            order__status__in=[SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED],
            price_typed=False,
        )
        for entry_id, price in prices.items():
            editable.filter(entry_id=entry_id).update(price=price)
    return price_list
