module example.com/handmade

go 1.24
