from django.urls import path

from kotacerdas.dashboard import briefing_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("tindak-lanjut/", views.action_list, name="actions"),
    path("tindak-lanjut/baru/", views.action_new, name="action-new"),
    path("tindak-lanjut/<int:pk>/", views.action, name="action"),
    path("rapat/", views.meeting_list, name="meetings"),
    path("rapat/<int:pk>/", views.meeting, name="meeting"),
    path("rapat/<int:pk>/buku-briefing.pdf", briefing_views.briefing_pdf, name="briefing"),
    path("catatan/", views.annotate, name="annotate"),
    path("catatan/<int:pk>/hapus/", views.annotation_delete, name="annotation-delete"),
    path("ringkasan-mingguan/", views.digest, name="digest"),
]
