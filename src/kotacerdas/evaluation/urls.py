from django.urls import path

from kotacerdas.evaluation import report_views, survey_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/aksi/", views.evaluation_action, name="action"),
    path("<int:pk>/butir/<str:code>/", views.item, name="item"),
    path("<int:pk>/kesenjangan/", views.gap, name="gap"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/survei/", survey_views.survey_admin, name="survey-admin"),
    path("<int:pk>/laporan.pdf", report_views.report_pdf, name="report-pdf"),
    path("<int:pk>/laporan.xlsx", report_views.report_xlsx, name="report-xlsx"),
]
