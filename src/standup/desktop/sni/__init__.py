"""The Linux tray over D-Bus: a StatusNotifierItem with a com.canonical.dbusmenu menu (dbus-fast).

`pixmap` turns the drawn ring into the ARGB32 pixmaps the item offers, `layout` turns the tray's
menu model into dbusmenu's item tree, `item` and `menu` are the two D-Bus interfaces, and `tray`
serves them on the desktop's one bus loop and keeps them in step with the service.
"""
