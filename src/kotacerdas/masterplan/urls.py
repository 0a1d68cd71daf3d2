from django.urls import path

from kotacerdas.masterplan import excel_views, views

app_name = "masterplan"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("program/<slug:code>/", views.programme_detail, name="programme"),
    path("program/<slug:code>/ubah/", views.programme_edit, name="programme-edit"),
    path("anggaran/", views.budget_overview, name="budget"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("laporan/<slug:opd>/<int:year>/<str:period>/", views.report, name="report"),
    path("bukti/<int:pk>/", views.report_evidence, name="report-evidence"),
    path("rapat/bukti/<int:pk>/", views.meeting_evidence, name="meeting-evidence"),
    path("dokumen/<str:kind>/<int:pk>/", views.document, name="document"),
    path("excel/", excel_views.excel_page, name="excel"),
    path("excel/program/", excel_views.export_programmes, name="excel-programmes"),
    path("excel/templat-iku/", excel_views.export_kpi_template, name="excel-kpi-template"),
    path("excel/impor/", excel_views.import_file, name="excel-import"),
    path("rencana-aksi/", views.action_plans, name="action-plans"),
    path("rapat/", views.meetings, name="meetings"),
]
