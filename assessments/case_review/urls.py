from django.urls import path

from . import views

app_name = "case_review"
urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/<int:review_id>/", views.review_page, name="review"),
    path("reviews/<int:review_id>/save/", views.review_save, name="save"),
    path("reviews/<int:review_id>/submit/", views.review_submit, name="submit"),
    path("reviews/<int:review_id>/result/", views.review_result, name="result"),
    path("documents/<int:document_id>/pages/<int:number>.jpg", views.document_page, name="page"),
    path("manage/", views.manage_index, name="manage"),
    path("manage/files/new/", views.file_edit, name="file_new"),
    path("manage/files/<int:file_id>/", views.manage_file, name="manage_file"),
    path("manage/files/<int:file_id>/edit/", views.file_edit, name="file_edit"),
    path("manage/rounds/new/", views.round_edit, name="round_new"),
    path("manage/rounds/<int:round_id>/", views.manage_round, name="manage_round"),
    path("manage/rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("manage/rounds/<int:round_id>/grading/", views.grading_list, name="grading"),
    path("manage/rounds/<int:round_id>/results/", views.round_results_page, name="results"),
    path("manage/rounds/<int:round_id>/results.xlsx", views.round_results_export, name="results_export"),
    path("manage/rounds/<int:round_id>/publish/", views.round_publish, name="publish"),
    path("manage/reviews/<int:review_id>/grade/", views.grade_review, name="grade"),
]
