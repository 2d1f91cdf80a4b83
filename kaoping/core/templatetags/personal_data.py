"""Template filters for personal data: {% load personal_data %}.

{{ number|mask_phone }}               always masked
{{ person|phone_for:request.user }}   whole or masked, by kaoping.core.masking's rules
{{ org|org_phone_for:request.user }}
"""

from django import template

from kaoping.core import masking

register = template.Library()

register.filter("mask_phone", masking.mask_phone)
register.filter("phone_for", masking.phone_for)
register.filter("org_phone_for", masking.org_phone_for)
