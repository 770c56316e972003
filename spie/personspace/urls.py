app_name = "personspace"

urlpatterns = []
