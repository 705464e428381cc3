from django.shortcuts import redirect


def home(request):
    return redirect("projects:list" if request.user.is_authenticated else "login")
