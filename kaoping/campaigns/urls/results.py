from django.urls import path

from kaoping.campaigns.views import results

urlpatterns = [
    path("<int:pk>/results/", results.results_list, name="results"),
    path("<int:pk>/results/recompute/", results.results_recompute, name="results_recompute"),
    path("<int:pk>/results/publish/", results.publish_results, name="publish"),
    path("<int:pk>/results/<int:participant_pk>/", results.result_detail, name="result_detail"),
    path("results/mine/", results.my_results, name="my_results"),
]
