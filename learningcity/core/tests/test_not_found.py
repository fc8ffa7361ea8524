"""A record id from another city, or one that does not exist, is "not found" (404), never a server error."""

import pytest
from django.urls import path

from config import urls as project_urls
from learningcity.core.models import Area

pytestmark = pytest.mark.django_db


def _view_that_gets(request, pk):
    Area.objects.get(pk=pk)  # raises DoesNotExist for an unknown id


urlpatterns = [path("probe/<int:pk>/", _view_that_gets), *project_urls.urlpatterns]


def test_does_not_exist_in_a_page_is_a_404_page(client, settings, city):
    settings.ROOT_URLCONF = __name__
    response = client.get("/probe/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_does_not_exist_in_the_api_is_a_404(client, city, people):
    client.force_login(people["city_admin"])
    response = client.patch(
        "/api/v1/cities/son-la/areas/999999", data={"name_vi": "X"}, content_type="application/json"
    )
    assert response.status_code == 404
