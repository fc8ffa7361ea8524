from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script, no third-party origin) and a strict Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The interactive API docs need their own inline bootstrap; only there, never on app pages.
            response.setdefault(
                "Content-Security-Policy",
                self.csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
