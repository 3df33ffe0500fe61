"""Pages under /perencanaan/ (namespace "planning"): budget, weights, scenarios, runs, comparison."""

from django.urls import path

from mumpuni.planning.views import budget, scenarios

app_name = "planning"
urlpatterns = [
    path("anggaran/", budget.budget, name="budget"),
    path("anggaran/ekspor/", budget.budget_export, name="budget_export"),
    path("anggaran/pagu/", budget.budget_set, name="budget_set"),
    path("anggaran/pagu-unit/", budget.unit_budget_set, name="unit_budget_set"),
    path("bobot/", budget.weights, name="weights"),
    path("skenario/", scenarios.scenario_list, name="scenarios"),
    path("skenario/<int:pk>/", scenarios.scenario_detail, name="scenario"),
    path("skenario/<int:pk>/jalankan/", scenarios.scenario_run, name="scenario_run"),
    path("skenario/<int:pk>/varian/<slug:kind>/", scenarios.scenario_derive, name="scenario_derive"),
    path("hasil/<int:pk>/", scenarios.run_detail, name="run"),
    path("hasil/<int:pk>/kemajuan/", scenarios.run_progress, name="run_progress"),
    path("hasil/<int:pk>/terima/", scenarios.run_accept, name="run_accept"),
    path("hasil/<int:pk>/ekspor/", scenarios.run_export, name="run_export"),
    path("hasil/<int:pk>/penugasan/<str:nip>/", scenarios.assignment_explain, name="explain"),
    path("banding/", scenarios.compare_runs, name="compare"),
    path("banding/ekspor/", scenarios.compare_export, name="compare_export"),
]
