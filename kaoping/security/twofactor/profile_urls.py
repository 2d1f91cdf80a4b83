from django.urls import path

from kaoping.security.twofactor import profile

app_name = "profile"

urlpatterns = [
    path("", profile.index, name="index"),
    path("phone/", profile.change_phone, name="phone"),
]
