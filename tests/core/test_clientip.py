"""The client's address: X-Forwarded-For is believed only from the configured proxies."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from spie.core.clientip import client_ip
from spie.core.env import env_networks


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_socket_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.7", "198.51.100.1, 10.0.0.5")) == "203.0.113.7"


def test_the_trusted_proxys_header_gives_the_rightmost_untrusted_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client wrote a fake first hop; the proxies appended the real one, then themselves.
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.23, 192.0.2.10")
    assert client_ip(request) == "198.51.100.23"


def test_a_trusted_proxy_without_header_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_a_malformed_hop_stops_the_walk_at_the_last_trusted_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.2", "198.51.100.1, pas-une-ip, 10.0.0.3")) == "10.0.0.3"


def test_ipv6_addresses_are_understood(settings):
    settings.TRUSTED_PROXIES = ["2001:db8::/32"]
    assert client_ip(_request("2001:db8::1", "2a01:e0a::5")) == "2a01:e0a::5"


def test_the_setting_refuses_a_malformed_network(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, pas-un-reseau")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES", [])
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    assert env_networks("TRUSTED_PROXIES", []) == ["10.0.0.0/8", "192.0.2.1"]
