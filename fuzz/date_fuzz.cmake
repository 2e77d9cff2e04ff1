salespipe_add_fuzz(date DEPS salespipe_clean)
