# Names vulture reports but Django calls: `make deadcode` reads this file with the code.
from_email  # accounts.forms: PasswordResetForm.send_mail's signature  # noqa: F821, B018
html_email_template_name  # the same  # noqa: F821, B018
opts  # a management command's **options  # noqa: F821, B018
hints  # lib.replica: a database router's signature  # noqa: F821, B018
obj1  # the same  # noqa: F821, B018
obj2  # the same  # noqa: F821, B018
update_fields  # lib.reminders.Remindable: Model.save's keyword  # noqa: F821, B018
