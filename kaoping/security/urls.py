from django.urls import path

from kaoping.security.views import sessions, users

app_name = "security"
urlpatterns = [
    path("sessions/", sessions.my_sessions, name="my_sessions"),
    path("sessions/<int:pk>/end/", sessions.end_my_session, name="end_my_session"),
    path("sessions/end-others/", sessions.end_other_sessions, name="end_other_sessions"),
    path("sessions/all/", sessions.all_sessions, name="all_sessions"),
    path("sessions/all/<int:pk>/end/", sessions.end_any_session, name="end_any_session"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/disable/", users.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", users.user_enable, name="user_enable"),
    path("users/<int:pk>/password/", users.user_reset_password, name="user_reset_password"),
]
