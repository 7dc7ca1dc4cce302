from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
