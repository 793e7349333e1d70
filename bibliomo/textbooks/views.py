from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from bibliomo.accounts import access
from bibliomo.lib.http import paginate, query_string_without_page
from bibliomo.lib.tables import read_rows
from bibliomo.textbooks import forms as textbook_forms
from bibliomo.textbooks import rules
from bibliomo.textbooks.importer import FpuImportError, import_rows
from bibliomo.textbooks.models import FederalListEdition, FederalListEntry


@access.member_required
def entry_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    entries = FederalListEntry.objects.order_by("key")
    if query:
        entries = entries.search(query)
    if status in FederalListEntry.Status.values:
        entries = entries.filter(status=status)
    return render(
        request,
        "textbooks/entry_list.html",
        {
            "page": paginate(request, entries),
            "query": query,
            "status": status,
            "qs": query_string_without_page(request),
            "edition": FederalListEdition.objects.first(),
            "can_import": rules.can_import(request.user),
        },
    )


@access.member_required
def fpu_import(request: HttpRequest) -> HttpResponse:
    rules.check_import(request.user)
    form = textbook_forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = import_rows(
                read_rows(data["file"]), data["edition"], request.user, amends=data["amends"]
            )
        except ValidationError as exc:
            errors = exc.messages
        except FpuImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"{result.edition}: добавлено {result.created}, обновлено {result.updated}, "
                f"исключено {result.excluded}.",
            )
            return redirect("textbook_list")
    return render(request, "textbooks/import.html", {"form": form, "errors": errors})


@access.member_required
def suggest(request: HttpRequest) -> JsonResponse:
    """Suggestions for the textbook picker: entries whose number, title or authors match."""
    query = request.GET.get("q", "").strip()
    entries = []
    if len(query) >= 2:
        entries = textbook_forms.find(query)[: textbook_forms.SUGGESTIONS]
    return JsonResponse({"results": [textbook_forms.suggestion(e) for e in entries]})
