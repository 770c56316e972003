app_name = "casereviews"

urlpatterns = []
