from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress, name="progress"),
    path("tests/<int:quiz_id>/", views.quiz_detail, name="quiz"),
    path("tests/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("tests/<int:quiz_id>/results/", views.quiz_results_page, name="results"),
    path("tests/<int:quiz_id>/bulletin.pdf", views.bulletin_pdf, name="bulletin"),
    path("sittings/<int:sitting_id>/", views.sitting_paper_page, name="sitting"),
    path("sittings/<int:sitting_id>/answer/", views.sitting_answer, name="answer"),
    path("sittings/<int:sitting_id>/answers/", views.sitting_answers, name="answers"),
    path("sittings/<int:sitting_id>/flag/", views.sitting_flag, name="flag"),
    path("sittings/<int:sitting_id>/position/", views.sitting_position, name="position"),
    path("sittings/<int:sitting_id>/submit/", views.sitting_submit_view, name="submit"),
    path("sittings/<int:sitting_id>/result/", views.sitting_result, name="result"),
    path("manage/", views.manage_index, name="manage"),
    path("manage/tests/<int:quiz_id>/", views.manage_quiz, name="manage_quiz"),
    path("manage/tests/<int:quiz_id>/results.xlsx", views.manage_quiz_export, name="manage_quiz_export"),
    path("manage/tests/<int:quiz_id>/items/", views.manage_items, name="manage_items"),
    path("manage/tests/<int:quiz_id>/items.xlsx", views.manage_items_export, name="manage_items_export"),
    path("manage/tests/<int:quiz_id>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/marking/", views.marking_list, name="marking"),
    path("manage/marking/<int:item_id>/", views.marking_item, name="marking_item"),
    path("manage/versions/<int:version_id>/key/", views.key_correct, name="key_correct"),
]
