Console.WriteLine("load harness: see README");
