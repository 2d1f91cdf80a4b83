"""Selection: allocations (交叉互评), draws (双随机), grades by share and awards, benchmarks."""

from django.urls import path

from kaoping.campaigns.views import selection, selection_awards, selection_draws

urlpatterns = [
    path("<int:pk>/selection/", selection.selection, name="selection"),
    path("stages/<int:pk>/allocations/new/", selection.allocation_new, name="allocation_new"),
    path("allocations/<int:pk>/", selection.allocation, name="allocation"),
    path("allocations/<int:pk>/move/", selection.allocation_move, name="allocation_move"),
    path("allocations/<int:pk>/verify/", selection.allocation_verify, name="allocation_verify"),
    path("allocations/<int:pk>/apply/", selection.allocation_apply, name="allocation_apply"),
    path("<int:pk>/draws/new/", selection_draws.draw_new, name="draw_new"),
    path("draws/<int:pk>/", selection_draws.draw, name="draw"),
    path("draws/<int:pk>/verify/", selection_draws.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/draw.xlsx", selection_draws.draw_xlsx, name="draw_xlsx"),
    path("draws/<int:pk>/apply/", selection_draws.draw_apply, name="draw_apply"),
    path("<int:pk>/awards/", selection_awards.awards, name="awards"),
    path("awards/<int:pk>/adjust/", selection_awards.award_adjust, name="award_adjust"),
    path("<int:pk>/benchmarks/", selection_awards.benchmarks, name="benchmarks"),
]
