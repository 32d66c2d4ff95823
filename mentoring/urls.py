from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("assign/", views.assign, name="assign"),
    path("mentors/", views.mentor_limits, name="mentor_limits"),
    path("competencies/minimums/", views.minimums_edit, name="minimums_edit"),
    path("competencies/", views.competencies, name="competencies"),
    path("competencies/new/", views.competency_edit, name="competency_new"),
    path("competencies/<int:pk>/edit/", views.competency_edit, name="competency_edit"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship"),
    path("mentorships/<int:pk>/logs/new/", views.log_create, name="log_create"),
    path("mentorships/<int:pk>/logs/draft/", views.log_draft, name="log_draft"),
    path("mentorships/<int:pk>/signoffs/<int:competency_pk>/", views.competency_sign_off, name="sign_off"),
    path(
        "mentorships/<int:pk>/signoffs/<int:competency_pk>/withdraw/",
        views.competency_sign_off_withdraw,
        name="sign_off_withdraw",
    ),
    path("mentorships/<int:pk>/final/propose/", views.final_propose, name="final_propose"),
    path("mentorships/<int:pk>/final/approve/", views.final_approve, name="final_approve"),
    path("mentorships/<int:pk>/final/return/", views.final_return, name="final_return"),
    path("mentorships/<int:pk>/promote/", views.promote, name="promote"),
    path("mentorships/<int:pk>/extend/", views.extend, name="extend"),
    path("mentorships/<int:pk>/end/", views.end_early, name="end_early"),
    path("mentorships/<int:pk>/record.pdf", views.record_pdf, name="record_pdf"),
    path("mentorships/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("logs/<int:pk>/", views.log_detail, name="log"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("logs/<int:pk>/acknowledge/", views.log_acknowledge, name="log_acknowledge"),
    path("logs/<int:pk>/addenda/", views.log_addendum, name="log_addendum"),
    path("logs/<int:pk>/objections/", views.log_objection, name="log_objection"),
    path(
        "logs/<int:pk>/objections/<int:objection_pk>/answer/",
        views.log_objection_answer,
        name="log_objection_answer",
    ),
]
