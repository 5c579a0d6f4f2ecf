"""Sign-up, email confirmation, log-in and log-out, password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.forms import LoginForm, PasswordResetRequestForm, SetPasswordForm, SignUpForm
from accounts.models import User
from accounts.services import mail, profile, registration
from fediverse import uris
from moderation.models import InstanceSettings, Invite, RegistrationMode, Rule


def _sign_up_page(request: HttpRequest, form: SignUpForm, invite: Invite | None) -> HttpResponse:
    instance = InstanceSettings.current()
    closed = invite is None and instance.registrations_mode == RegistrationMode.NONE
    return render(
        request,
        "accounts/sign_up.html",
        {
            "form": form,
            "invite": invite,
            "closed": closed,
            "approval": invite is None and instance.registrations_mode == RegistrationMode.APPROVED,
            "rules": Rule.objects.all(),
        },
        status=403 if closed and request.method == "POST" else 200,
    )


@ratelimit(key="ip", rate=settings.SIGN_UP_RATE, method="POST", block=True)
def sign_up(request: HttpRequest, invite_code: str | None = None) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("/")
    invite = None
    if invite_code is not None:
        invite = registration.find_usable_invite(invite_code)
        if invite is None:
            messages.error(request, "This invite link has expired or has been used up.")
    instance = InstanceSettings.current()
    reason_required = (
        invite is None
        and instance.registrations_mode == RegistrationMode.APPROVED
        and instance.require_sign_up_reason
    )
    form = SignUpForm(request.POST or None, reason_required=reason_required)
    if request.method != "POST":
        return _sign_up_page(request, form, invite)
    try:
        registration.check_registration_allowed(invite=invite, ip=request.META.get("REMOTE_ADDR"))
    except ValidationError as refused:
        if refused.code != "blocked":
            return _sign_up_page(request, form, invite)
        form.add_error(None, refused)
        response = _sign_up_page(request, form, invite)
        response.status_code = 403
        return response
    if not form.is_valid():
        return _sign_up_page(request, form, invite)
    data = form.cleaned_data
    user = registration.do_create_local_account(
        username=data["username"],
        email=data["email"],
        password=data["password"],
        sign_up_reason=data.get("reason", ""),
        sign_up_ip=request.META.get("REMOTE_ADDR"),
        invite=invite,
    )
    return render(request, "accounts/signed_up.html", {"pending_user": user})


def confirm_email(request: HttpRequest) -> HttpResponse:
    parsed = mail.read_confirmation_token(request.GET.get("confirmation_token", ""))
    user = User.objects.filter(pk=parsed[0]).select_related("account").first() if parsed else None
    if user is None or parsed is None:
        return render(request, "accounts/confirmation_invalid.html", status=400)
    try:
        registration.do_confirm_email(user=user, email=parsed[1])
    except ValidationError:
        return render(request, "accounts/confirmation_invalid.html", status=400)
    if user.approved:
        messages.success(request, "Your email address is confirmed. You can log in now.")
    else:
        messages.success(
            request,
            "Your email address is confirmed. Your application is waiting for a moderator's "
            "approval; you will get an email once it is reviewed.",
        )
    return redirect("/auth/sign_in" if not request.user.is_authenticated else "/settings/account")


def _login_refusal(user: User) -> str | None:
    if user.disabled:
        return "Your account has been disabled."
    if user.account.suspended_at is not None:
        return "Your account has been suspended."
    if not user.confirmed:
        return "Confirm your email address first: open the link in the email we sent you."
    if not user.approved:
        return "Your application is waiting for a moderator's approval."
    return None


@ratelimit(key="ip", rate=settings.LOGIN_RATE, method="POST", block=True)
def sign_in(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = (
            User.objects.filter(email__iexact=form.cleaned_data["email"].strip()).first()
            or User.objects.filter(
                account__username__iexact=form.cleaned_data["email"].strip().lstrip("@"),
                account__domain__isnull=True,
            ).first()
        )
        if user is None or not user.check_password(form.cleaned_data["password"]):
            form.add_error(None, "Invalid email address or password.")
        elif refusal := _login_refusal(user):
            form.add_error(None, refusal)
        else:
            authenticated = authenticate(
                request, username=user.email, password=form.cleaned_data["password"]
            )
            if authenticated is not None:
                login(request, authenticated)
                target = request.GET.get("next", "")
                return redirect(
                    target if target.startswith("/") and not target.startswith("//") else "/"
                )
            form.add_error(None, "Invalid email address or password.")
    return render(request, "accounts/sign_in.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/")


@ratelimit(key="ip", rate=settings.LOGIN_RATE, method="POST", block=True)
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None and user.is_active:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            mail.send_password_reset(user, uris.absolute(f"/auth/password/edit/{uid}/{token}"))
        # The same answer either way, so the form does not reveal who has an account.
        messages.success(
            request, "If this address has an account, an email with a link is on its way."
        )
        return redirect("/auth/sign_in")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile.do_set_password(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, "Your password has been changed. You can log in now.")
            return redirect("/auth/sign_in")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
