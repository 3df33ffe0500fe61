from mumpuni.competencies.views.staff import urlpatterns as staff_urls

app_name = "competencies"
urlpatterns = [*staff_urls]
