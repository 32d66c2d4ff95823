from wagtail.users.views.users import IndexView, UserViewSet

from .forms import OfficerCreationForm, OfficerEditForm


class OfficerIndexView(IndexView):
    # Officers are found by police number, name or unit (Wagtail's default
    # looks at username/first_name/last_name/email, which officers lack).
    search_fields = ["police_number", "name", "unit__name"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")


class OfficerViewSet(UserViewSet):
    index_view_class = OfficerIndexView

    def get_form_class(self, for_update=False):
        return OfficerEditForm if for_update else OfficerCreationForm
