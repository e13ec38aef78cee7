app_name = "replication"

urlpatterns: list = []
