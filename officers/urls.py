from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.OfficerLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", views.OfficerPasswordChangeView.as_view(), name="password_change"),
    path("audit/", views.audit_trail, name="audit_trail"),
]
