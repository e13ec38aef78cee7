from lumbung.organisation.models import Region

SESSION_KEY = "active_region_id"


def active_region(request):
    """The region the signed-in user is working in: the one chosen (session) if the user may
    act there, otherwise the first region where the user holds a role."""
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    regions = user.regions()
    for region in regions:
        if region.pk == chosen:
            return region
    if user.is_national_admin:
        if chosen:
            region = Region.objects.filter(pk=chosen, is_hosted=True).first()
            if region:
                return region
        return regions[0] if regions else Region.objects.filter(is_hosted=True).first()
    return regions[0] if regions else None


class RegionMiddleware:
    """Sets request.region for signed-in users (None for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = active_region(request)
        return self.get_response(request)
