"""Content-Security-Policy for reader pages: nothing inline, nothing evaluated, nothing foreign."""

EMBEDDABLE_PREFIX = "/embed/"


def policy(request) -> str:
    host = request.get_host()
    sockets = f"ws://{host} wss://{host}"
    frame_ancestors = "*" if request.path.startswith(EMBEDDABLE_PREFIX) else "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {sockets}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every page outside the admin (the admin ships inline code of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(request)
            response["Referrer-Policy"] = "strict-origin-when-cross-origin"
            response["X-Content-Type-Options"] = "nosniff"
        return response
