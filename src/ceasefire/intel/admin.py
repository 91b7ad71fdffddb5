"""Intelligence items are deliberately NOT registered in the Django admin: the admin reads rows directly, which
would bypass IntelItem.objects.visible_to (an administrator sees no TLP:AMBER or RED item by being an
administrator) and the services that log every change and receipt."""
