"""Operations of the order campaign, one module per concern:

- ``prefilling`` — opening a campaign and pre-filling every school's order (fund need, stock,
  the exchange);
- ``workflow`` — the librarian's edits, submit / approve / return / reopen, reminders;
- ``pricelists`` — the district's price lists;
- ``consolidation`` — the consolidated order by publisher and entry;
- ``deliveries`` — receiving an approved order into the fund;
- ``summaries`` — figures and history for the pages.

The monitoring forms are official documents and live in :mod:`bibliomo.orders.monitoring`.
The names below are the public operations, importable from here.
"""

from bibliomo.orders.services.common import OrderError
from bibliomo.orders.services.consolidation import (
    COUNTED,
    Consolidated,
    ConsolidatedRow,
    consolidated,
    consolidated_sheets,
    money,
)
from bibliomo.orders.services.deliveries import create_delivery, received
from bibliomo.orders.services.prefilling import (
    LINE_FIELDS,
    compute_lines,
    exchange_flows,
    open_campaign,
    prefill,
    price_map,
    recompute,
)
from bibliomo.orders.services.pricelists import import_price_list
from bibliomo.orders.services.summaries import (
    Change,
    campaign_summary,
    order_changes,
    order_sums,
    order_totals,
)
from bibliomo.orders.services.workflow import (
    UNSUBMITTED,
    LineChange,
    LinesError,
    add_entry,
    approve,
    remind,
    remove_line,
    reopen,
    request_reopen,
    return_order,
    save_lines,
    send_reminders,
    submit,
    update_line,
)

__all__ = [
    "COUNTED",
    "LINE_FIELDS",
    "UNSUBMITTED",
    "Change",
    "Consolidated",
    "ConsolidatedRow",
    "LineChange",
    "LinesError",
    "OrderError",
    "add_entry",
    "approve",
    "campaign_summary",
    "compute_lines",
    "consolidated",
    "consolidated_sheets",
    "create_delivery",
    "exchange_flows",
    "import_price_list",
    "money",
    "open_campaign",
    "order_changes",
    "order_sums",
    "order_totals",
    "prefill",
    "price_map",
    "received",
    "recompute",
    "remind",
    "remove_line",
    "reopen",
    "request_reopen",
    "return_order",
    "save_lines",
    "send_reminders",
    "submit",
    "update_line",
]
