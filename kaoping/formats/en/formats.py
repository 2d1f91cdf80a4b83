# The English UI accepts the same typed dates as the Chinese one: people paste both forms.
from kaoping.formats.zh_Hans.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
