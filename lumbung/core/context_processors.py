from django.conf import settings

from .nav import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    region = getattr(request, "region", None)
    if user is None:
        return {}
    return {
        "menu": menu_for(user, region),
        "active_region": region,
        "site_url": settings.SITE_URL,
    }
