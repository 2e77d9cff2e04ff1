salespipe_add_fuzz(price DEPS salespipe_clean)
