from mumpuni.testing import BaseTestCase


class LanguageTests(BaseTestCase):
    def test_an_english_browser_still_gets_indonesian(self) -> None:
        response = self.client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="id"')

    def test_the_switcher_chooses_english(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
        response = self.client.get("/akun/masuk/")
        self.assertContains(response, 'lang="en"')
