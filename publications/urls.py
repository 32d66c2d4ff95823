from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("objections/", views.objection_queue, name="objections"),
    path("objections/<int:objection_id>/decide/", views.objection_decide, name="decide"),
    path("<int:publication_id>/", views.publication_detail, name="detail"),
    path("<int:publication_id>/bulletin.pdf", views.bulletin_download, name="bulletin"),
    path("<int:publication_id>/bulletin/retry/", views.bulletin_retry_view, name="bulletin_retry"),
    path("<int:publication_id>/object/", views.objection_new, name="object"),
    path("<int:publication_id>/republish/", views.republish, name="republish"),
]
