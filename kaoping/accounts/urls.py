from django.urls import path

from kaoping.accounts.views import password, security

app_name = "accounts"

urlpatterns = [
    path("password/", password.password_change, name="password_change"),
    path("security/", security.users, name="security_users"),
    path("security/users/<int:pk>/", security.user_detail, name="security_user"),
    path("security/users/<int:pk>/grant/", security.grant, name="security_grant"),
    path("security/users/<int:pk>/admin-role/", security.admin_role, name="security_admin_role"),
    path("security/roles/<int:pk>/remove/", security.remove, name="security_remove_role"),
    path("security/policy/", security.policy, name="security_policy"),
]
