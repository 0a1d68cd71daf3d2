"""Kartu Sahabat disbursement at /staf/bansos/penyaluran/ (inside the "bansos" namespace)."""

from django.urls import path

from kotacerdas.bansos import disbursement_views as views

urlpatterns = [
    path("", views.batch_list, name="batch-list"),
    path("baru/", views.batch_create, name="batch-create"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/lepas/", views.release, name="batch-release"),
    path("<int:pk>/berkas-bank/", views.payment_file, name="batch-file"),
    path("<int:pk>/hasil-bank/", views.bank_result, name="batch-result"),
    path("<int:pk>/rekonsiliasi/", views.report, name="batch-report"),
]
