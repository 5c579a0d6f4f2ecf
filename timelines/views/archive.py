"""The archive page: ask for a download of one's whole account, and import posts from a
Mastodon or Twitter archive, each job's progress shown until it is done."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from timelines.models import ArchiveSource, Backup, JobState, OthersChoice, PostImport
from timelines.services import archive_export, archive_import
from timelines.views.common import viewer_of

ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class ImportArchiveForm(forms.Form):
    archive = forms.FileField(label="Archive (.zip)")
    source = forms.ChoiceField(label="Archive from", choices=ArchiveSource.choices)
    others = forms.ChoiceField(
        label="Boosts, retweets and replies to other people's posts",
        choices=OthersChoice.choices,
        initial=OthersChoice.SKIP,
        widget=forms.RadioSelect,
    )
    federate = forms.BooleanField(
        required=False, label="Send the imported posts to my followers' servers"
    )


def _page(request: HttpRequest, form: ImportArchiveForm) -> HttpResponse:
    account = viewer_of(request)
    backups = list(Backup.objects.filter(account=account).order_by("-created_at")[:5])
    imports = list(PostImport.objects.filter(account=account).order_by("-created_at")[:5])
    for job in imports:
        job.percent = archive_import.progress(job)  # type: ignore[attr-defined]
    busy = any(b.state in ACTIVE for b in backups) or any(i.state in ACTIVE for i in imports)
    context = {"form": form, "backups": backups, "imports": imports, "busy": busy}
    return render(request, "timelines/settings_archive.html", context)


@login_required
def archive_page(request: HttpRequest) -> HttpResponse:
    return _page(request, ImportArchiveForm())


@login_required
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    try:
        archive_export.do_request_backup(account=viewer_of(request))  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Your archive is being prepared.")
    return redirect("/settings/archive")


@login_required
def download_export(request: HttpRequest, backup_id: int) -> FileResponse:
    backup = Backup.objects.filter(pk=backup_id, account=viewer_of(request)).first()
    if backup is None or not backup.downloadable:
        raise Http404
    name = f"archive-{backup.created_at:%Y%m%d%H%M%S}.zip"
    return FileResponse(default_storage.open(backup.file.name, "rb"), as_attachment=True,
                        filename=name, content_type="application/zip")  # fmt: skip


@login_required
@require_POST
def start_import(request: HttpRequest) -> HttpResponse:
    form = ImportArchiveForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    data = form.cleaned_data
    try:
        archive_import.do_start_post_import(
            account=viewer_of(request),  # type: ignore[arg-type]
            upload=data["archive"],
            source=data["source"],
            others=data["others"],
            federate=data["federate"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, form)
    messages.success(request, "Your archive is being imported.")
    return redirect("/settings/archive")
