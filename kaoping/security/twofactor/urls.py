from django.urls import path

from kaoping.security.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("enroll/", views.enroll, name="enroll"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("remove/", views.remove, name="remove"),
    path("confirm-password/", views.reauth, name="reauth"),
    path("users/<int:pk>/reset/", views.reset_for_user, name="reset_for_user"),
]
