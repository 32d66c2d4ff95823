from django.urls import path

from . import views

app_name = "ranking"
urlpatterns = [
    path("", views.index, name="index"),
    path("trend/", views.trend, name="my_trend"),
    path("trend/<int:officer_id>/", views.trend, name="trend"),
    path("manual/", views.manual_list, name="manual_list"),
    path("manual/new/", views.manual_new, name="manual_new"),
    path("manual/<int:pk>/", views.manual_detail, name="manual_detail"),
    path("manual/<int:pk>/evidence/", views.manual_evidence, name="manual_evidence"),
    path("<str:track>/<str:period>/", views.ranking_page, name="ranking"),
    path("<str:track>/<str:period>/publish/", views.publish, name="publish"),
    path("<str:track>/<str:period>/officers/<int:officer_id>/", views.breakdown, name="breakdown"),
]
