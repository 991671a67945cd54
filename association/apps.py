from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Associations")

    def ready(self):
        from django.db.models.signals import post_delete

        from association.models import Association
        from association.storage import delete_logo_of_deleted_association

        post_delete.connect(
            delete_logo_of_deleted_association, sender=Association, dispatch_uid="association_logo"
        )
        from django.db.models.signals import pre_delete

        from association.documents import delete_documents_of_deleted_association

        pre_delete.connect(
            delete_documents_of_deleted_association,
            sender=Association,
            dispatch_uid="association_documents",
        )
        from association import pagecache

        pagecache.connect_signals()
