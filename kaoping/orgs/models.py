from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from kaoping.core.crypto import EncryptedTextField, blind_index_field
from kaoping.orgs.enums import OrgKind


class OrganizationQuerySet(TreeQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def within(self, roots):
        """Organizations in the subtrees of `roots` (the roots included), as one indexed filter.

        The stored `path` makes a scope one prefix match, so a province-wide scope never walks
        the tree in a recursive query.
        """
        paths = [root.path for root in roots]
        if not paths:
            return self.none()
        condition = models.Q()
        for path in paths:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)

    def with_child_count(self):
        """Annotate `child_count`: active children, so the tree knows which nodes expand."""
        return self.annotate(
            child_count=models.Count("children", filter=models.Q(children__is_active=True))
        )

    def matching(self, text: str):
        """Organizations whose name, short name or pinyin contains `text`.

        Latin letters also match the stored pinyin keys, so "hns" finds 河南省… and "bsc" finds
        白沙村…; the keys are stored lower case without spaces, and so is the query.
        """
        text = text.strip()
        if not text:
            return self.none()
        condition = models.Q(name__icontains=text) | models.Q(short_name__icontains=text)
        key = "".join(text.split()).lower()
        if key.isascii() and key.isalnum():
            condition |= models.Q(name_initials__contains=key) | models.Q(name_pinyin__contains=key)
        return self.filter(condition)


class Organization(TreeNode):
    """A Party organization; the tree is an adjacency list (`parent`) plus a materialized path.

    `path` is "/<root pk>/…/<own pk>/", kept by `kaoping.orgs.domain.tree` on create and move;
    never write it by hand.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    position = models.PositiveIntegerField(_("sort order"), default=0)
    secretary = models.CharField(_("secretary"), max_length=100, blank=True)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)
    # Encrypted at rest, shown masked but to those who may change it (kaoping.core.masking).
    phone = EncryptedTextField(_("phone"), max_length=40, blank=True, index_field="phone_index")
    phone_index = blind_index_field()
    member_count = models.PositiveIntegerField(_("member count"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_weak = models.BooleanField(_("weak organization"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    name_pinyin = models.CharField(max_length=1000, editable=False, default="")
    name_initials = models.CharField(max_length=200, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager(with_tree_fields=False)
    history = HistoricalRecords(excluded_fields=["path", "name_pinyin", "name_initials"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to the parent, read from the stored path."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def is_within(self, root: "Organization") -> bool:
        return self.path.startswith(root.path)

    @property
    def depth(self) -> int:
        """0 for a root, read from the stored path."""
        return len(self.ancestor_ids)
