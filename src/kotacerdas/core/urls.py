from django.urls import path

from kotacerdas.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("staf/", views.staff_home, name="staff-home"),
    path("staf/modul/<slug:slug>/", views.module_page, name="module"),
    path("staf/wilayah/", views.regions, name="regions"),
    path("staf/opd/", views.opd_list, name="opd-list"),
    path("staf/opd/<slug:code>/", views.opd_detail, name="opd-detail"),
    path("staf/opd/<slug:code>/ubah/", views.opd_edit, name="opd-edit"),
    path("staf/audit/", views.audit_trail, name="audit"),
    path("akun/", views.account, name="account"),
    path("akun/masuk/", views.after_login, name="after-login"),
    path("daftar/", views.signup, name="signup"),
    path("akun/token/<int:pk>/cabut/", views.revoke_api_token, name="token-revoke"),
]
