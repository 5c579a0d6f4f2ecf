from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return HttpResponse("UNAVAILABLE", status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "fediverse/rate_limited.html", status=429)
