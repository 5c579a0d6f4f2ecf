"""Settings pages to take one's relations away as CSV files and to bring them in: Mastodon's
/settings/export and /settings/import."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.exports import EXPORT_FILES, WRITERS, export_counts
from accounts.models import User
from accounts.models_imports import BulkImport, BulkImportRow, ImportState, ImportType, RowState
from accounts.services.imports import FILE_SIZE_LIMIT, do_create_import

FAILURES_SHOWN = 500


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    counts = export_counts(user.account)
    files = [(f, counts[f.slug]) for f in EXPORT_FILES]
    return render(
        request,
        "accounts/settings_export.html",
        {"files": files, "followers": counts["followers"]},
    )


@login_required
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    user: User = request.user  # type: ignore[assignment]
    found = next((f for f in EXPORT_FILES if f.slug == slug), None)
    if found is None:
        raise Http404
    response = StreamingHttpResponse(WRITERS[slug](user.account), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


class ImportForm(forms.Form):
    type = forms.ChoiceField(label="Import type", choices=ImportType.choices)
    mode = forms.ChoiceField(
        label="Mode",
        choices=[
            ("merge", "Merge: keep what you have and add what the file lists"),
            ("overwrite", "Overwrite: replace what you have with what the file lists"),
        ],
        initial="merge",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        help_text=f"A CSV file exported from this server or from Mastodon, up to "
        f"{FILE_SIZE_LIMIT // (1024 * 1024)} MB.",
    )


def _progress(imports: list[BulkImport]) -> None:
    """Row counts by state for each import, in one query."""
    counts = {
        row["bulk_import_id"]: row
        for row in BulkImportRow.objects.filter(bulk_import__in=imports)
        .values("bulk_import_id")
        .annotate(
            done=Count("id", filter=Q(state=RowState.DONE)),
            failed=Count("id", filter=Q(state=RowState.FAILED)),
        )
    }
    for item in imports:
        found = counts.get(item.pk, {})
        item.done_count = found.get("done", 0)  # type: ignore[attr-defined]
        item.failed_count = found.get("failed", 0)  # type: ignore[attr-defined]
        item.processed_count = item.done_count + item.failed_count  # type: ignore[attr-defined]


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                bulk_import = do_create_import(
                    account=user.account,
                    kind=form.cleaned_data["type"],
                    overwrite=form.cleaned_data["mode"] == "overwrite",
                    file=upload,
                    size=upload.size,
                    filename=upload.name or "",
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, "Your file was uploaded and is being imported.")
                return redirect(f"/settings/import/{bulk_import.pk}")
    imports = list(BulkImport.objects.filter(account=user.account).order_by("-id")[:20])
    _progress(imports)
    return render(request, "accounts/settings_import.html", {"form": form, "imports": imports})


@login_required
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bulk_import = get_object_or_404(BulkImport, pk=import_id, account=user.account)
    _progress([bulk_import])
    failures = bulk_import.rows.filter(state=RowState.FAILED).order_by("line")
    return render(
        request,
        "accounts/settings_import_detail.html",
        {
            "item": bulk_import,
            "failures": failures[:FAILURES_SHOWN],
            "more_failures": max(0, bulk_import.failed_count - FAILURES_SHOWN),  # type: ignore[attr-defined]
            "running": bulk_import.state != ImportState.FINISHED,
        },
    )
