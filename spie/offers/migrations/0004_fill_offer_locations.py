"""Data: the search row of every service already in the directory."""

from django.db import migrations


def fill(apps, schema_editor):
    Offer = apps.get_model("offers", "Offer")
    OfferLocation = apps.get_model("offers", "OfferLocation")
    rows = Offer.objects.values_list("pk", "geo_lat", "geo_lon", "on_site", "remote", "has_zone", "duplicate_of_id")
    batch = []
    for pk, lat, lon, on_site, remote, has_zone, duplicate_of in rows.iterator(chunk_size=5000):
        batch.append(
            OfferLocation(
                offer_id=pk,
                geo_lat=lat,
                geo_lon=lon,
                on_site=on_site,
                remote=remote,
                has_zone=has_zone,
                listed=duplicate_of is None,
            )
        )
        if len(batch) >= 5000:
            OfferLocation.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OfferLocation.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("offers", "0003_offer_location")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
